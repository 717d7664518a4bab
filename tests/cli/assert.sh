# The assertions of the CLI's shell tests, sourced by each: every check counts a pass or prints
# what failed; the script ends with `finish NAME`, which prints the counts and fails on any failure.
fails=0; passes=0
expect() {  # expect NAME ACTUAL EXPECTED
  if [ "$2" == "$3" ]; then passes=$((passes+1)); else echo "FAIL: $1: got [$2], expected [$3]"; fails=$((fails+1)); fi
}
contains() {  # contains NAME HAYSTACK NEEDLE
  if [[ "$2" == *"$3"* ]]; then passes=$((passes+1)); else echo "FAIL: $1: [$3] not in output:"; echo "$2" | head -c 2000; echo; fails=$((fails+1)); fi
}
lacks() {  # lacks NAME HAYSTACK NEEDLE
  if [[ "$2" != *"$3"* ]]; then passes=$((passes+1)); else echo "FAIL: $1: [$3] in output:"; echo "$2" | head -c 2000; echo; fails=$((fails+1)); fi
}
