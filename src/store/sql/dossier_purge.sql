UPDATE dossier SET applicant_name = NULL, applicant_phone = NULL
WHERE applicant_name IS NOT NULL AND returned_ms IS NOT NULL AND returned_ms < ?1
