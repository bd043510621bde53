-- A dossier by its public token (the receipt's `/d/{token}`): its hall and its newest row.
SELECT hall, body FROM dossier_now WHERE token = $1 ORDER BY seq DESC LIMIT 1
