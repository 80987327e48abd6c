#!/bin/sh
# The container's entry point: `app` (what `make run` does), `jobs` (the jobs' runner every few minutes),
# `health` (the image's health check), or any other command, e.g. `msp-revenue status`.
set -eu
case "${1:-app}" in
    app)
        msp-revenue demo --if-missing
        exec msp-revenue app --address "${MSP_REVENUE_ADDRESS:-127.0.0.1}" --port "${MSP_REVENUE_PORT:-8501}"
        ;;
    jobs)
        while :; do
            msp-revenue jobs run-due || echo "msp-revenue jobs run-due: something failed (see above); tried again later" >&2
            sleep "${MSP_REVENUE_JOBS_EVERY:-300}"
        done
        ;;
    health)
        exec python -c "import sys, urllib.request; urllib.request.urlopen('http://127.0.0.1:' + sys.argv[1] + '/_stcore/health', timeout=4)" "${MSP_REVENUE_PORT:-8501}"
        ;;
    *)
        exec "$@"
        ;;
esac
