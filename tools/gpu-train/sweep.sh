#!/usr/bin/env bash
# Trains several configurations of one model side by side on one GPU machine, within one call of
# a time-limited machine, and prints a short summary per run (the full history is in each run's
# weights.json). The GPU is far from busy with one character LSTM, so parallel runs cost little.
#
#   tools/gpu-train/sweep.sh <prepared dir> <out dir> <minutes> <name:units:dropout:batch:lr> ...
#   e.g. tools/gpu-train/sweep.sh data/prepared/scifi $OUT 7 a:800,800:0.3:256:0.003 b:800,800:0.4:256:0.003
#
# Extra trainer options for every run go in TRAIN_ARGS (e.g. TRAIN_ARGS="--init-from models/scifi").
# PYTHON picks the interpreter (default python3).
set -u
if [ $# -lt 4 ]; then
  sed -n '2,10p' "$0" >&2
  exit 2
fi
data=$1 out=$2 minutes=$3
shift 3
here=$(cd "$(dirname "$0")" && pwd)
logs=$(mktemp -d)
export PYTHONUNBUFFERED=1
for spec in "$@"; do
  IFS=: read -r name units dropout batch lr <<<"$spec"
  if [ -z "$name" ] || [ -z "$units" ] || [ -z "$dropout" ] || [ -z "$batch" ] || [ -z "$lr" ]; then
    echo "bad run spec '$spec': want name:units:dropout:batch:lr" >&2
    exit 2
  fi
  # shellcheck disable=SC2086 # TRAIN_ARGS is a list of options
  "${PYTHON:-python3}" "$here/train_lstm.py" --data "$data" --out "$out/$name" --units "$units" \
    --dropout "$dropout" --batch "$batch" --lr "$lr" --seq 200 --minutes "$minutes" --eval-every 30 \
    ${TRAIN_ARGS:-} >"$logs/$name.log" 2>&1 &
done
status=0
wait || status=$?
for spec in "$@"; do
  name=${spec%%:*}
  echo "== $spec"
  # Setup lines and errors, then every third validation row, then the final figures.
  grep -v '^{"t"' "$logs/$name.log" | grep -v '^{"validation_bpc"' | tail -n 8
  grep '^{"t"' "$logs/$name.log" | awk 'NR % 3 == 0'
  grep '^{"validation_bpc"' "$logs/$name.log" || { echo "(no final figures: the run did not finish)"; status=1; }
done
exit $status
