"""Survey statistics without Django (issue #14): counts and shares with response rates, paired pre/post
change with a confidence interval, drop-off per question, and weighting to population margins by raking
with the design effect and effective sample size. Plain data in, dataclasses out; tested alone."""
