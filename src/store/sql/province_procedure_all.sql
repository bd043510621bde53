-- The province's catalog as last pulled: code, version, published at, text.
SELECT code, version, published_at, body FROM province_procedure ORDER BY code
