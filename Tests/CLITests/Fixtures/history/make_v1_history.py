"""Writes a history as roleaudit left it after its first schema step (migration
v1-scans-findings only, before v2-inputs-coverage), with one scan, for the migration test."""
import sqlite3, sys

db = sqlite3.connect(sys.argv[1])
db.executescript("""
CREATE TABLE grdb_migrations (identifier TEXT NOT NULL PRIMARY KEY);
INSERT INTO grdb_migrations VALUES ('v1-scans-findings');
CREATE TABLE scan (
    id INTEGER PRIMARY KEY AUTOINCREMENT, time TEXT NOT NULL, tool_version TEXT NOT NULL, catalog_version TEXT NOT NULL,
    policy_path TEXT, policy_sha256 TEXT, complete INTEGER NOT NULL,
    open_critical INTEGER NOT NULL, open_high INTEGER NOT NULL, open_medium INTEGER NOT NULL,
    open_low INTEGER NOT NULL, open_info INTEGER NOT NULL, waived INTEGER NOT NULL, baselined INTEGER NOT NULL);
CREATE TABLE finding (
    scan_id INTEGER NOT NULL REFERENCES scan(id) ON DELETE CASCADE, fingerprint TEXT NOT NULL, rule_id TEXT NOT NULL,
    severity TEXT NOT NULL, status TEXT NOT NULL, platform TEXT NOT NULL, scope TEXT NOT NULL, principal TEXT, role TEXT,
    message TEXT NOT NULL, first_seen TEXT NOT NULL, PRIMARY KEY (scan_id, fingerprint));
CREATE INDEX finding_fingerprint ON finding(fingerprint);
INSERT INTO scan VALUES (1, '2026-10-01T00:00:00Z', '0.0.9', 'old', NULL, NULL, 1, 0, 1, 0, 0, 0, 0, 0);
INSERT INTO finding VALUES (1, 'aaaaaaaaaaaaaaaaaaaa', 'ISO-004', 'high', 'new', 'cortex-xdr', 'tenant birchwood-xdr',
    'old@birchwoodlaw.com', 'Scoped Agent Admin', 'an old finding', '2026-10-01T00:00:00Z');
""")
db.commit()
