INSERT INTO catalog_edit (page, at, actor, action, version) VALUES (?1, ?2, ?3, ?4, ?5)
