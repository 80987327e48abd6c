# The app and the jobs' runner in one image; docker-compose.yml runs it as two services.
FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PIP_NO_CACHE_DIR=1 MSP_REVENUE_DB=/data/warehouse.duckdb
WORKDIR /app
# the pinned dependencies first, as `make` installs them, so a change to the code reuses this layer
COPY requirements.lock pyproject.toml ./
RUN python -m pip install --quiet --no-deps -r requirements.lock
COPY . .
# the code's bytecode, made once here: PYTHONDONTWRITEBYTECODE keeps each command from writing it, so each one
# compiled every module of ours it imports again (~35 ms of `msp-revenue report mrr`; docs/BENCHMARKS.md)
RUN python -m pip install --quiet --no-deps -e . && python -m compileall -q -x '/(tests|bench)/' . \
    && chmod 755 deploy/entrypoint.sh
VOLUME /data
EXPOSE 8501
HEALTHCHECK --interval=30s --timeout=5s --start-period=120s \
    CMD ["deploy/entrypoint.sh", "health"]
ENTRYPOINT ["deploy/entrypoint.sh"]
CMD ["app"]
