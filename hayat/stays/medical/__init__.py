"""The medical record of a guest's stay: the illness history's own fields and diagnoses, the doctor's first
examination, the diary of doctors and nurses, and the epicrisis printed in the check-out summary."""
