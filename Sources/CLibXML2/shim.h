#include <libxml/xmlversion.h>
// Debian builds libxml2 with ICU; its ICU headers clash with the copy Foundation ships. roleaudit
// never touches libxml2's encoding handlers (whose layout is all that depends on this), so leave ICU out.
#undef LIBXML_ICU_ENABLED
#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <libxml/tree.h>
#include <libxml/xmlerror.h>
#include <libxml/xmlschemas.h>
#include <libxml/xmlmemory.h>

// xmlFree is a global function pointer, which Swift 6 will not touch from concurrent code.
static inline void roleaudit_xmlFree(void *p) { xmlFree(p); }
