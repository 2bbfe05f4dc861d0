"""The catalog's storage: connections and transactions (db), the schema and its upgrades."""
