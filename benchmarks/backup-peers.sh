#!/usr/bin/env bash
# Whole-process backup benchmark: Pledge beside restic and borg on one seeded tree (issue 18, P8).
#
# For each tool: first backup of the tree into a new local repository, full restore into an empty
# folder, verification of all stored data (restic check --read-data, borg check --verify-data,
# pledge backup verify), and the repository's size on disk. Each step runs under /usr/bin/time -v:
# wall time, user and system CPU time, peak RSS. zstd level 3 where the tool allows it.
#
# Usage: benchmarks/backup-peers.sh [--scale F] [--rounds N] [--tools "pledge restic borg"]
#                                   [--work DIR] [--check] [--settle S]
#   --scale F   size of the tree as a fraction of the issue's 1.1 GiB shape (default 1): F x 400 MiB
#               of random blobs, F x 400 MiB of JSON lines, F x 20,000 files of 10 KiB
#   --rounds N  how many times the tools run, interleaved: pledge restic borg, pledge restic borg ...
#   --check     after each restore, compare the restored tree with the source (diff -r, not timed)
#   --work DIR  where the tree, repositories and restores go (default /tmp/pledge-peers)
#   --settle S  after a tool's files are deleted, wait S seconds before the next tool starts
#               (default 0; see settle() below: 61 takes the previous tool's deletions out of the
#               next restore on a file system that keeps a deleted inode out of use for 60 s)
# The tree is generated once per scale from a fixed seed (Python's random, Mersenne Twister), so the
# same scale gives the same bytes on every machine. Needs restic, borg (Debian: restic,
# borgbackup), GNU time, python3 and a built examples/target/pledge.jar (./pledge builds it). Pledge
# runs through ./pledge, the launcher users run, with its JVM options (PLEDGE_JAVA_OPTS replaces them)
# and its class-data sharing archives, made by a warm-up on a tiny tree before the rounds.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
scale=1
rounds=1
tools="pledge restic borg"
work=/tmp/pledge-peers
check=false
settle_seconds=0
while [ $# -gt 0 ]; do
  case "$1" in
    --scale) scale="$2"; shift 2 ;;
    --rounds) rounds="$2"; shift 2 ;;
    --tools) tools="$2"; shift 2 ;;
    --work) work="$2"; shift 2 ;;
    --check) check=true; shift ;;
    --settle) settle_seconds="$2"; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
for t in restic borg python3; do
  command -v "$t" >/dev/null || { echo "missing $t (apt-get install restic borgbackup python3)" >&2; exit 2; }
done
[ -x /usr/bin/time ] || { echo "missing GNU time (apt-get install time)" >&2; exit 2; }
jar="$here/examples/target/pledge.jar"
if [[ " $tools " == *" pledge "* ]]; then
  "$here/pledge" --version >/dev/null 2>&1 || "$here/pledge" --help >/dev/null # builds the jar when stale
fi

tree="$work/tree-$scale"
if [ ! -f "$tree/.complete" ]; then
  rm -rf "$tree"
  mkdir -p "$tree"
  echo "generating the tree (scale $scale) in $tree ..." >&2
  python3 - "$tree" "$scale" <<'PY'
import json, os, random, sys
root, scale = sys.argv[1], float(sys.argv[2])
rnd = random.Random(18)
MiB = 1 << 20
# 400 MiB of random blobs, 16 MiB each (the last one shorter)
left = int(400 * MiB * scale)
os.makedirs(f"{root}/blobs")
i = 0
while left > 0:
    n = min(16 * MiB, left)
    with open(f"{root}/blobs/blob-{i:03d}.bin", "wb") as f:
        f.write(rnd.randbytes(n))
    left -= n
    i += 1
# 400 MiB of JSON lines (application-log-like), 50 MiB per file
words = ["checkout", "login", "search", "cart", "payment", "refund", "profile", "invoice", "shipping", "review"]
levels = ["INFO", "INFO", "INFO", "DEBUG", "WARN", "ERROR"]
def line(k):
    return json.dumps({"ts": 1790000000000 + k * 37, "level": rnd.choice(levels), "event": rnd.choice(words),
                       "user": f"u{rnd.randrange(100000):05d}", "ms": rnd.randrange(2000),
                       "path": f"/api/{rnd.choice(words)}/{rnd.randrange(10**6)}",
                       "trace": "%016x" % rnd.getrandbits(64)}) + "\n"
os.makedirs(f"{root}/logs")
left = int(400 * MiB * scale)
i = k = 0
while left > 0:
    target = min(50 * MiB, left)
    with open(f"{root}/logs/app-{i:02d}.jsonl", "w") as f:
        written = 0
        chunk = []
        while written < target:
            s = line(k); k += 1
            if written + len(s) > target:
                s = s[: target - written - 1] + "\n"
            chunk.append(s); written += len(s)
            if len(chunk) == 1000:
                f.write("".join(chunk)); chunk = []
        f.write("".join(chunk))
    left -= target
    i += 1
# 20,000 files of 10 KiB in folders of 100: small JSON documents
files = int(20000 * scale)
for j in range(files):
    d = f"{root}/small/d{j // 100:03d}"
    if j % 100 == 0:
        os.makedirs(d)
    body = []
    size = 0
    while size < 10240:
        s = line(k); k += 1
        body.append(s); size += len(s)
    data = "".join(body)[:10239] + "\n"
    with open(f"{d}/doc-{j:05d}.json", "w") as f:
        f.write(data)
PY
  touch "$tree/.complete"
fi
tree_bytes=$(du -sb --exclude=.complete "$tree" | cut -f1)
tree_files=$(find "$tree" -type f ! -name .complete | wc -l)
echo "tree: $tree, $tree_bytes bytes in $tree_files files" >&2

export RESTIC_PASSWORD=benchmark-only BORG_PASSPHRASE=benchmark-only BORG_UNKNOWN_UNENCRYPTED_REPO_ACCESS_IS_OK=yes
export BORG_RELOCATED_REPO_ACCESS_IS_OK=yes
results="$work/results.tsv"
: >"$results"

# measure NAME STEP CMD...: runs CMD under GNU time, appends wall, user, sys, peak RSS to the results
measure() {
  local tool="$1" step="$2"; shift 2
  local tf="$work/time.txt"
  if ! /usr/bin/time -v -o "$tf" "$@" >"$work/out.txt" 2>"$work/err.txt"; then
    echo "$tool $step failed:" >&2; tail -5 "$work/err.txt" >&2; cat "$tf" >&2; exit 1
  fi
  local wall user sys rss
  wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {n=split($2,a,":"); s=0; for(i=1;i<=n;i++) s=s*60+a[i]; print s}' "$tf")
  user=$(awk -F': ' '/User time/ {print $2}' "$tf")
  sys=$(awk -F': ' '/System time/ {print $2}' "$tf")
  rss=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$tf")
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$round" "$tool" "$step" "$wall" "$user" "$sys" "$rss" >>"$results"
  printf '%-7s %-8s wall %6.2f s  user %6.2f s  sys %5.2f s  peak RSS %4d MB\n' "$tool" "$step" "$wall" "$user" "$sys" "$((rss / 1000))" >&2
}

stored() {
  local tool="$1" dir="$2" bytes
  bytes=$(du -sb "$dir" | cut -f1)
  printf '%s\t%s\tstored\t%s\n' "$round" "$tool" "$bytes" >>"$results"
  echo "$tool stored $((bytes / 1000000)) MB" >&2
}

compare() {
  if $check; then
    diff -r "$tree" "$1" -x .complete >/dev/null || { echo "$2: restored tree differs from the source" >&2; exit 1; }
    echo "$2: restored tree identical" >&2
  fi
}

# After deleting a restored tree: write the freed inodes out. ext4 without a journal (this machine's
# disk) skips inodes deleted in the last 60 s, or 6 minutes while their table block is dirty, when it
# allocates new ones, so the next tool's restore would pay for the previous tool's deletions.
# --settle S then waits those 60 s out, so neither tool's restore pays for the other's deletions.
settle() {
  sync
  if [ "$settle_seconds" != 0 ]; then
    sleep "$settle_seconds"
  fi
}

run_pledge() {
  local repo="$work/pledge-repo" out="$work/pledge-out" key="$work/pledge.key"
  rm -rf "$repo" "$out" "$key"
  java -jar "$jar" backup keygen --out "$key" >/dev/null
  measure pledge backup "$here/pledge" backup run --site shop --source "dir:$tree" --store "file:$repo" --key-file "$key"
  local id
  id=$(tail -1 "$work/out.txt" | awk '{print $NF}')
  measure pledge restore "$here/pledge" backup restore --site shop --store "file:$repo" --id "$id" --to "dir:$out" --key-file "$key"
  measure pledge verify "$here/pledge" backup verify --store "file:$repo" --key-file "$key"
  stored pledge "$repo"
  compare "$out" pledge
  rm -rf "$repo" "$out"
  settle
}

run_restic() {
  local repo="$work/restic-repo" out="$work/restic-out"
  rm -rf "$repo" "$out" "$work/restic-cache"
  export RESTIC_CACHE_DIR="$work/restic-cache"
  restic -r "$repo" init --repository-version 2 >/dev/null
  measure restic backup restic -r "$repo" backup --compression auto "$tree"
  measure restic restore restic -r "$repo" restore latest --target "$out"
  measure restic verify restic -r "$repo" check --read-data
  stored restic "$repo"
  compare "$out$tree" restic
  rm -rf "$repo" "$out" "$work/restic-cache"
  settle
}

run_borg() {
  local repo="$work/borg-repo" out="$work/borg-out"
  rm -rf "$repo" "$out" "$work/borg-base"
  export BORG_BASE_DIR="$work/borg-base"
  borg init -e repokey-blake2 "$repo" >/dev/null 2>&1
  measure borg backup borg create --compression zstd,3 "$repo::bench" "$tree"
  mkdir -p "$out"
  measure borg restore bash -c "cd '$out' && borg extract '$repo::bench'"
  measure borg verify borg check --verify-data "$repo"
  stored borg "$repo"
  compare "$out$tree" borg
  rm -rf "$repo" "$out" "$work/borg-base"
  settle
}

# The launcher dumps a class-data sharing archive on the first run of each command with a new jar
# (then maps it): do those first runs on a tiny tree, so the rounds measure the runs users repeat.
# PLEDGE_CDS=off in the environment measures without the archive.
if [[ " $tools " == *" pledge "* ]]; then
  warm="$work/warm-up"
  rm -rf "$warm"
  mkdir -p "$warm/tree"
  echo warm-up >"$warm/tree/file.txt"
  java -jar "$jar" backup keygen --out "$warm/key" >/dev/null
  id=$("$here/pledge" backup run --site shop --source "dir:$warm/tree" --store "file:$warm/repo" --key-file "$warm/key" | tail -1 | awk '{print $NF}')
  "$here/pledge" backup restore --site shop --store "file:$warm/repo" --id "$id" --to "dir:$warm/out" --key-file "$warm/key" >/dev/null
  "$here/pledge" backup verify --store "file:$warm/repo" --key-file "$warm/key" >/dev/null
  rm -rf "$warm"
fi

for round in $(seq 1 "$rounds"); do
  for t in $tools; do
    "run_$t"
  done
done

echo
echo "| round | tool | step | wall s | user s | sys s | peak RSS MB |"
echo "|---|---|---|---:|---:|---:|---:|"
awk -F'\t' '$3 != "stored" {printf "| %s | %s | %s | %.2f | %.2f | %.2f | %d |\n", $1, $2, $3, $4, $5, $6, $7 / 1000}' "$results"
echo
awk -F'\t' '$3 == "stored" {printf "stored, round %s, %s: %.1f MB\n", $1, $2, $4 / 1000000}' "$results"
