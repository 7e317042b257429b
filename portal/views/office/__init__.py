"""The back office for sales managers and reps, at phone and desktop width:
promotion evaluation (费效比), org roll-ups, the abuse guard and back-tests of drafts."""
