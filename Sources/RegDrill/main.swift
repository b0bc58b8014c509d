print("regdrill")
