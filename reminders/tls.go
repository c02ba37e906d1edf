package reminders

import "crypto/tls"

// tlsConfig checks the server's certificate against its name.
func tlsConfig(host string) *tls.Config {
	return &tls.Config{ServerName: host, MinVersion: tls.VersionTLS12}
}
