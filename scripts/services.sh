#!/usr/bin/env bash
# Installs (when missing) and starts the real servers the tests use, on loopback. Idempotent: safe to run twice.
# Debian packages only; an apt download can fail once, so every apt call is retried.
set -euo pipefail

log() { echo "[services] $*"; }

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

apt_install() {
  local attempt
  for attempt in 1 2 3 4; do
    if as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "$@"; then return 0; fi
    log "apt-get install $* failed (attempt $attempt); updating lists and retrying"
    as_root apt-get update -q || true
    sleep $((attempt * 3))
  done
  log "could not install $*"; return 1
}

ensure_updated() {
  if [ -z "${APT_UPDATED:-}" ]; then
    as_root apt-get update -q || as_root apt-get update -q || true
    APT_UPDATED=1
  fi
}

start_rabbitmq() {
  if ! command -v rabbitmq-server >/dev/null 2>&1; then
    ensure_updated
    apt_install rabbitmq-server
  fi
  if as_root rabbitmqctl -q status >/dev/null 2>&1; then
    log "RabbitMQ already running"
  else
    log "starting RabbitMQ"
    as_root rabbitmq-server -detached || true
  fi
  # `await_startup` fails at once (exit 69) while the node has not yet registered with epmd, which is exactly the
  # first second or two after `-detached`; so poll until it answers, and only then wait for the boot to finish.
  local deadline=$((SECONDS + 120))
  until as_root rabbitmqctl -q await_startup --timeout 120 >/dev/null 2>&1; do
    if [ "$SECONDS" -ge "$deadline" ]; then
      log "RabbitMQ did not start within 120 s; the end of its log:"
      as_root sh -c 'tail -n 40 /var/log/rabbitmq/*.log' || true
      return 1
    fi
    sleep 1
  done
  log "RabbitMQ ready on 127.0.0.1:5672 (after ${SECONDS} s)"
}

# docker-compose 1.29 validates deploy/compose offline (`docker-compose config`); no engine runs here.
ensure_compose() {
  if ! command -v docker-compose >/dev/null 2>&1; then
    ensure_updated
    apt_install docker-compose
  fi
}

start_rabbitmq
ensure_compose
