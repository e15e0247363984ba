#!/usr/bin/env bash
# Makes a long-lived self-signed test certificate for GatewayMock's HTTPS (`gateway-mock --tls-cert
# --tls-key`, with the TLS trait), for those who prefer files to the in-memory certificate of `--tls`.
#
#   scripts/gen-cert.sh [--force] [--days N] [DIR]      (DIR defaults to ./certs)
#
# Writes DIR/cert.pem and DIR/key.pem (EC P-256, unencrypted, mode 600): a certificate for localhost,
# 127.0.0.1 and ::1 that is its own CA, so clients can trust DIR/cert.pem directly:
#
#   curl --cacert certs/cert.pem https://localhost:8443/...
#   SSL_CERT_FILE=certs/cert.pem python3 ...    REQUESTS_CA_BUNDLE=certs/cert.pem ...
#
# Valid for 3650 days by default. Apple's TLS clients refuse server certificates valid for more than
# 825 days; pass `--days 825` for them.
# Running it again keeps existing files (and says so); --force replaces them.
set -euo pipefail

usage() {
    sed -n '2,16p' "$0" | sed 's/^# \{0,1\}//'
}

force=0
days=3650
dir=""
while [ $# -gt 0 ]; do
    case "$1" in
        --force) force=1 ;;
        --days)
            [ $# -ge 2 ] || { echo "gen-cert.sh: --days needs a value" >&2; exit 2; }
            days="$2"
            shift
            ;;
        -h | --help) usage; exit 0 ;;
        -*) echo "gen-cert.sh: unknown option $1" >&2; usage >&2; exit 2 ;;
        *)
            [ -z "$dir" ] || { echo "gen-cert.sh: only one directory, please" >&2; exit 2; }
            dir="$1"
            ;;
    esac
    shift
done
dir="${dir:-./certs}"
case "$days" in '' | *[!0-9]*) echo "gen-cert.sh: --days needs a number of days" >&2; exit 2 ;; esac

command -v openssl >/dev/null || { echo "gen-cert.sh: the openssl command is needed" >&2; exit 1; }

cert="$dir/cert.pem"
key="$dir/key.pem"
if [ "$force" -eq 0 ] && { [ -e "$cert" ] || [ -e "$key" ]; }; then
    if [ -e "$cert" ] && [ -e "$key" ]; then
        echo "Keeping the existing certificate (use --force to make a new one):"
        echo "  certificate (also the CA to trust): $cert"
        echo "  private key:                        $key"
        exit 0
    fi
    echo "gen-cert.sh: only one of $cert and $key exists; refusing to overwrite it without --force" >&2
    exit 1
fi

mkdir -p "$dir"
work="$(mktemp -d "$dir/.gen-cert.XXXXXX")"
trap 'rm -rf "$work"' EXIT
umask 077

# A configuration of our own, so the system's openssl.cnf (or its absence) does not change the result.
cat >"$work/openssl.cnf" <<'CONF'
[req]
distinguished_name = name
prompt = no
x509_extensions = v3

[name]
O = GatewayMock
CN = localhost

[v3]
basicConstraints = critical, CA:TRUE
keyUsage = critical, digitalSignature, keyCertSign
extendedKeyUsage = serverAuth
subjectAltName = DNS:localhost, IP:127.0.0.1, IP:::1
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
CONF

openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$work/key.pem" 2>/dev/null
openssl req -new -x509 -config "$work/openssl.cnf" -key "$work/key.pem" -sha256 -days "$days" \
    -set_serial "0x$(openssl rand -hex 16)" -out "$work/cert.pem"
chmod 600 "$work/key.pem"
chmod 644 "$work/cert.pem"
mv -f "$work/key.pem" "$key"
mv -f "$work/cert.pem" "$cert"

echo "Made a self-signed certificate for localhost, 127.0.0.1 and ::1, valid for $days days:"
echo "  certificate (also the CA to trust): $cert"
echo "  private key:                        $key"
echo "Serve it with: gateway-mock --tls-cert $cert --tls-key $key"
