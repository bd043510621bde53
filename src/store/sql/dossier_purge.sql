UPDATE dossier SET applicant_name = NULL, applicant_phone = NULL, applicant_id = NULL, applicant_birth = NULL,
                   sms_phone = NULL
WHERE applicant_name IS NOT NULL AND returned_ms IS NOT NULL AND returned_ms < ?1
