UPDATE hall_epoch SET acked = greatest(acked, $3), last_push = now() WHERE hall = $1 AND epoch = $2
