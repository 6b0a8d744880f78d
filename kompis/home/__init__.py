"""The staff home: the overview page above the feature apps (it reads participants' and the outbox's
selectors, so it cannot live in the ground floor's kompis.core). Its URL keeps the name core:staff_home."""
