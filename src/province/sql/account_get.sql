SELECT username, name, password_hash, all_halls, halls, disabled FROM account WHERE username = $1
