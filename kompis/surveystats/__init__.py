"""Survey statistics without Django (issue #14): plain answers in, plain numbers out.

- `tables`: per-question counts and percentages with n and the response rate.
- `change`: paired pre/post change of identified waves with a 95 % confidence interval.
- `dropoff`: per question, how many reached it and how many stopped there (open surveys).
- `weighting`: raking to population margins, weighted shares, Kish design effect, effective sample size.
"""
