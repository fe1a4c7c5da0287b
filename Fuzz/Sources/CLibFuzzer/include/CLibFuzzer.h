#include <stddef.h>
#include <stdint.h>

// libFuzzer's driver (compiler-rt, linked by -sanitize=fuzzer). SwiftPM links an executable's
// `main` to `<module>_main`, so each harness starts libFuzzer through this instead of the `main`
// libFuzzer would bring.
int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*callback)(const uint8_t *data, size_t size));
