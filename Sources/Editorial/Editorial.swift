// The editorial domain.
