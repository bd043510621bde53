INSERT INTO province_procedure (code, version, procedure, published_at) VALUES ($1, $2, $3, $4)
