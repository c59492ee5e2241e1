total = 1 + \
    2 + \
        3
if total > 1 and \
   total < 10:
    print(total)
width = 5
print(f"{total:{width}}", f"{3.14159:{width}.{2}f}")
