# A stand-in for a nightly batch job: a few log lines the data-functions example reads back.
for step in range(1, 6):
    print(f"nightly step {step} of 5 done")
print("nightly run complete")
