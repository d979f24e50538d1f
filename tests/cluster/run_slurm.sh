#!/usr/bin/env bash
# Prove the SLURM profile on a real (one-node) SLURM cluster on this machine:
#   1. install Debian's slurm-wlm and munge (apt-get), write a one-node slurm.conf,
#   2. start munged, slurmctld and slurmd without systemd,
#   3. run the smoke-scale workflow through profiles/slurm in a clean copy of the repo,
#   4. run the same smoke workflow locally in another clean copy,
#   5. check every result table (results/**/*.csv and *.md) is byte-identical between the two,
#   6. stop the daemons (always, by their pid files).
# Needs root (apt-get, daemons) and a venv with the project and its `cluster` extra (installed here if
# missing). Never touches the repo's own results/. Usage:
#   tests/cluster/run_slurm.sh                      # venv: $VENV, else <repo>/.venv, else /tmp/venv
#   VENV=/path/to/venv BUDGET=1200 tests/cluster/run_slurm.sh
#   TARGETS="results/pareto/horizon.csv ..." tests/cluster/run_slurm.sh   # a subset (CI), default: all
# Measured facts and traps: README, "On a SLURM cluster".
set -euo pipefail

REPO=$(cd "$(dirname "$0")/../.." && pwd)
if [[ -z "${VENV:-}" ]]; then
    if [[ -x "$REPO/.venv/bin/python" ]]; then VENV="$REPO/.venv"; else VENV=/tmp/venv; fi
fi
VENV="$(cd "$VENV" && pwd)"  # the workflow runs in copies of the repo: a relative venv path would break
BUDGET=${BUDGET:-1200}          # seconds for each workflow run (killed with SIGKILL after that)
CONFIG=${CONFIG:-config/smoke.yaml}
if [[ "${CI:-}" == true && -z "${TARGETS+set}" ]]; then
    # CI: one multi-point table per study plus a check table (a few SLURM jobs, ~3 min in all);
    # the full smoke workflow through SLURM takes ~10-15 min on 2 cores (run it by hand: no CI=true).
    TARGETS="results/estimation/error_vs_n.csv results/pareto/horizon.csv results/bandits/regret_vs_n.csv"
    TARGETS+=" results/tables/pareto_gap_table.csv"
fi
read -r -a TARGET_ARGS <<< "${TARGETS:-}"   # empty: the default target (everything)
WORK=$(mktemp -d /tmp/banditlab-slurm.XXXXXX)
STATE="$WORK/slurm-state"
# Jobs' own srun calls read the default path only (slurmd does not pass SLURM_CONF on), so the config goes
# to /etc/slurm/slurm.conf; an existing one is kept aside and put back on exit.
SLURM_CONF=/etc/slurm/slurm.conf
export MPLBACKEND=Agg

t0=$(date +%s)
stamp() { echo "[$(( $(date +%s) - t0 )) s] $*"; }
fail() { echo "FAIL: $*" >&2; exit 1; }

[[ $(id -u) -eq 0 ]] || fail "needs root (apt-get install, munged/slurmctld/slurmd)"
[[ -x "$VENV/bin/snakemake" ]] || fail "no snakemake in venv $VENV"

# ---------------------------------------------------------------- daemons: always stopped on exit
PIDFILES=(/run/slurmd.pid /run/slurmctld.pid /run/munge/munged.pid)
stop_daemons() {
    local pidfile pid
    if [[ -n "${STARTED:-}" ]] && command -v squeue >/dev/null; then  # end jobs first, or their steps linger
        squeue -h -o %i | xargs -r scancel 2>/dev/null || true
        for _ in $(seq 50); do [[ -z "$(squeue -h 2>/dev/null)" ]] && break; sleep 0.2; done
    fi
    for pidfile in "${PIDFILES[@]}"; do
        if [[ -f "$pidfile" ]] && [[ -n "${STARTED:-}" ]]; then
            pid=$(cat "$pidfile")
            kill "$pid" 2>/dev/null || true
            for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
            kill -9 "$pid" 2>/dev/null || true
            rm -f "$pidfile"
        fi
    done
}
on_exit() {
    local rc=$?
    stop_daemons
    if [[ -n "${CONF_BACKUP:-}" ]]; then mv -f "$CONF_BACKUP" "$SLURM_CONF"; elif [[ -n "${STARTED:-}" ]]; then rm -f "$SLURM_CONF"; fi
    [[ $rc -eq 0 ]] || { echo "--- slurmctld/slurmd logs (tail) ---"; tail -n 20 "$STATE"/*.log 2>/dev/null || true; }
    [[ -n "${KEEP:-}" ]] || rm -rf "$WORK"
    exit $rc
}
trap on_exit EXIT
for pidfile in "${PIDFILES[@]}"; do
    if [[ -f "$pidfile" ]] && kill -0 "$(cat "$pidfile")" 2>/dev/null; then
        fail "a daemon is already running ($pidfile); stop it first"
    fi
done

# ---------------------------------------------------------------- 1. install
s=$(date +%s)
apt_done="already installed"
if ! command -v slurmctld >/dev/null || ! command -v munged >/dev/null; then
    export DEBIAN_FRONTEND=noninteractive
    timeout -s KILL 600 apt-get update -qq
    timeout -s KILL 600 apt-get install -y -qq slurm-wlm munge >/dev/null
    apt_done="apt-get install slurm-wlm munge"
fi
if ! "$VENV/bin/python" -c "import snakemake_executor_plugin_slurm" 2>/dev/null; then
    timeout -s KILL 600 "$VENV/bin/pip" install -q -e "$REPO[cluster]"
fi
install_s=$(( $(date +%s) - s ))
stamp "installed: $(slurmctld -V), $(munged --version 2>&1 | head -1 | awk '{print $1}'), plugin $("$VENV/bin/pip" show snakemake-executor-plugin-slurm 2>/dev/null | awk '/^Version/{print $2}') (${install_s} s: $apt_done)"

# ---------------------------------------------------------------- 2. one-node slurm.conf, daemons
s=$(date +%s)
HOST=$(hostname -s)
NCPU=$(nproc)
MEM=$(awk '/MemAvailable/{printf "%d", $2 / 1024 * 0.8}' /proc/meminfo)
mkdir -p "$STATE/slurmctld" "$STATE/slurmd" /etc/slurm
if [[ -e "$SLURM_CONF" ]]; then CONF_BACKUP="$STATE/slurm.conf.orig"; cp -p "$SLURM_CONF" "$CONF_BACKUP"; fi
STARTED=1
cat > "$SLURM_CONF" <<EOF
ClusterName=banditlab
SlurmctldHost=$HOST
SlurmUser=root
AuthType=auth/munge
CredType=cred/munge
MpiDefault=none
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core_Memory
SchedulerType=sched/backfill
AccountingStorageType=accounting_storage/none
JobAcctGatherType=jobacct_gather/none
JobCompType=jobcomp/none
ReturnToService=2
SlurmctldPidFile=/run/slurmctld.pid
SlurmdPidFile=/run/slurmd.pid
StateSaveLocation=$STATE/slurmctld
SlurmdSpoolDir=$STATE/slurmd
SlurmctldLogFile=$STATE/slurmctld.log
SlurmdLogFile=$STATE/slurmd.log
NodeName=$HOST CPUs=$NCPU RealMemory=$MEM State=UNKNOWN
PartitionName=main Nodes=$HOST Default=YES MaxTime=INFINITE State=UP
EOF
mkdir -p /run/munge && chown munge:munge /run/munge
runuser -u munge -- munged
slurmctld -f "$SLURM_CONF"
slurmd -f "$SLURM_CONF"
for _ in $(seq 100); do
    [[ "$(sinfo -h -o %T 2>/dev/null)" == idle ]] && break
    sleep 0.2
done
[[ "$(sinfo -h -o %T 2>/dev/null)" == idle ]] || fail "node not idle: $(sinfo 2>&1)"
daemons_s=$(( $(date +%s) - s ))
stamp "cluster up (${daemons_s} s): $(sinfo -h -o '%P %D %T %c cpus %m MB')"

# ---------------------------------------------------------------- 3./4. two clean copies, two runs
copy_repo() {  # the working tree without outputs, caches, venvs or git metadata
    mkdir -p "$1"
    tar -C "$REPO" -cf - --exclude=./.git --exclude=./.venv --exclude=./results --exclude=./logs \
        --exclude=./.snakemake --exclude=./report.html --exclude='./figures/*.pdf' \
        --exclude='./figures/*.png' --exclude=__pycache__ --exclude=.pytest_cache --exclude=.hypothesis . \
        | tar -C "$1" -xf -
}
copy_repo "$WORK/slurm"
copy_repo "$WORK/local"

s=$(date +%s)
stamp "SLURM run: snakemake --workflow-profile profiles/slurm --configfile $CONFIG ${TARGETS:-}"
(cd "$WORK/slurm" && timeout -s KILL "$BUDGET" "$VENV/bin/snakemake" "${TARGET_ARGS[@]}" --workflow-profile profiles/slurm \
    --configfile "$CONFIG" > "$WORK/slurm.log" 2>&1) \
    || { tail -n 60 "$WORK/slurm.log"; fail "SLURM workflow failed or exceeded ${BUDGET} s"; }
slurm_s=$(( $(date +%s) - s ))
sbatch_jobs=$(grep -c "has been submitted with SLURM jobid" "$WORK/slurm.log" || true)
stamp "SLURM run done (${slurm_s} s, ${sbatch_jobs} sbatch submissions)"
grep -q "has been submitted with SLURM jobid" "$WORK/slurm.log" || fail "no job went through sbatch"

s=$(date +%s)
stamp "local run: snakemake --cores $NCPU --configfile $CONFIG ${TARGETS:-}"
(cd "$WORK/local" && timeout -s KILL "$BUDGET" "$VENV/bin/snakemake" "${TARGET_ARGS[@]}" --cores "$NCPU" \
    --configfile "$CONFIG" > "$WORK/local.log" 2>&1) \
    || { tail -n 60 "$WORK/local.log"; fail "local workflow failed or exceeded ${BUDGET} s"; }
local_s=$(( $(date +%s) - s ))
stamp "local run done (${local_s} s)"

# ---------------------------------------------------------------- 5. compare the tables
list_tables() { (cd "$1" && find results -type f \( -name '*.csv' -o -name '*.md' \) | LC_ALL=C sort); }
list_tables "$WORK/slurm" > "$WORK/slurm.tables"
list_tables "$WORK/local" > "$WORK/local.tables"
diff "$WORK/local.tables" "$WORK/slurm.tables" || fail "the two runs wrote different sets of tables"
n_tables=$(wc -l < "$WORK/local.tables")
[[ $n_tables -gt 0 ]] || fail "no tables written"
differ=0
while read -r table; do
    cmp -s "$WORK/local/$table" "$WORK/slurm/$table" || { echo "differs: $table"; differ=$((differ + 1)); }
done < "$WORK/local.tables"
[[ $differ -eq 0 ]] || fail "$differ of $n_tables tables differ between the SLURM and the local run"

stamp "PASS: $n_tables tables (results/**/*.csv, *.md) byte-identical between SLURM and local runs"
echo "timings: install ${install_s} s, daemons ${daemons_s} s, SLURM workflow ${slurm_s} s" \
     "(${sbatch_jobs} SLURM jobs), local workflow ${local_s} s, total $(( $(date +%s) - t0 )) s"
