SELECT a.username, a.name, a.password_hash, a.all_halls, a.halls, a.disabled, s.csrf
  FROM account_session s JOIN account a ON a.username = s.username
 WHERE s.token_hash = $1 AND s.expires_at > now() AND NOT a.disabled
