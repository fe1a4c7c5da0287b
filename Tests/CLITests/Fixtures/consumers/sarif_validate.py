"""Validate a SARIF log against the OASIS SARIF 2.1.0 JSON schema with jsonschema; prints VALID or
the errors; exit 1 if invalid."""
import json, sys
import jsonschema

schema = json.load(open(sys.argv[1]))
log = json.load(open(sys.argv[2]))
V = jsonschema.validators.validator_for(schema)
V.check_schema(schema)
errors = list(V(schema, format_checker=V.FORMAT_CHECKER).iter_errors(log))
for e in errors[:20]:
    print(f"{list(e.absolute_path)}: {e.message}")
print("VALID" if not errors else f"{len(errors)} error(s)")
sys.exit(1 if errors else 0)
