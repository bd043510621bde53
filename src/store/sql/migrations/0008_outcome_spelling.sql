-- One spelling for each print outcome: the wire has always said "not-printed"; the database said
-- "not printed". Stored rows take the wire's spelling.
UPDATE ticket SET print_outcome = 'not-printed' WHERE print_outcome = 'not printed';
