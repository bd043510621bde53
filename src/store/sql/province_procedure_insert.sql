INSERT INTO province_procedure (code, version, published_at, body) VALUES (?1, ?2, ?3, ?4)
