SELECT acked FROM hall_epoch WHERE hall = $1 AND epoch = $2
