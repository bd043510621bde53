INSERT INTO catalog_import (at, source, added, changed, unchanged) VALUES (?1, ?2, ?3, ?4, ?5)
