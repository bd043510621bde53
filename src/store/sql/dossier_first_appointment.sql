SELECT first_appointment_ms FROM dossier WHERE id = ?1
