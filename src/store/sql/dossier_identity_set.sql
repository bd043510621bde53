UPDATE dossier SET applicant_id = ?2, applicant_birth = ?3 WHERE id = ?1
