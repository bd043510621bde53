SELECT count(*) FROM dossier
