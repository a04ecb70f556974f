package httpx

import (
	"bytes"
	"crypto/x509"
	"net"
	"net/http"
	"net/url"
	"strings"
)

// Hints for the mistakes real deployments make between diagctl and a
// service: a certificate without subjectAltName, the wrong scheme for a
// port. The certificate names are the server's text: printers escape
// them.

// hostnameHint is the hint for a certificate that does not name the host.
func hostnameHint(svc string, e x509.HostnameError) string {
	c := e.Certificate
	insecure := "or --insecure (" + svc + ".insecure: true) for a lab server you trust"
	if c != nil && len(c.DNSNames) == 0 && len(c.IPAddresses) == 0 && len(c.URIs) == 0 && len(c.EmailAddresses) == 0 && c.Subject.CommonName != "" {
		san := "DNS:" + e.Host
		if net.ParseIP(e.Host) != nil {
			san = "IP:" + e.Host
		}
		return "the certificate names " + c.Subject.CommonName + " only in its Common Name, which is no longer accepted (Go, like browsers, reads only subjectAltName): reissue it with subjectAltName " + san + ", " + insecure
	}
	var names []string
	if c != nil {
		names = append(names, c.DNSNames...)
		for _, ip := range c.IPAddresses {
			names = append(names, ip.String())
		}
	}
	if len(names) == 0 || len(names) > 10 {
		return "the certificate does not name " + e.Host + ": use the host name it was issued for in the " + svc + " server setting, " + insecure
	}
	return "the certificate is for " + strings.Join(names, ", ") + ", not " + e.Host + ": use one of those names in the " + svc + " server setting, or reissue the certificate with " + e.Host + " as a subjectAltName, " + insecure
}

// schemeHint is the hint for an error answer that says the request used
// plain HTTP on an HTTPS port (nginx's 400 page, Go's own server).
func schemeHint(resp *http.Response, body []byte) string {
	if resp.StatusCode != http.StatusBadRequest || resp.Request == nil || resp.Request.URL.Scheme != "http" {
		return ""
	}
	if !bytes.Contains(body, []byte("plain HTTP request was sent to HTTPS port")) &&
		!bytes.Contains(body, []byte("Client sent an HTTP request to an HTTPS server")) {
		return ""
	}
	return "the server expects HTTPS on this port: use " + withScheme(resp.Request.URL, "https") + " in the server setting"
}

// tlsToPlainHint is the hint for https:// aimed at a port that speaks
// plain HTTP.
func tlsToPlainHint(u *url.URL) string {
	return "the server speaks plain HTTP on this port: use " + withScheme(u, "http") + " in the server setting, or the server's HTTPS port"
}

// plainToTLSHint is the hint for http:// aimed at a port that answered
// with TLS bytes (a TLS alert instead of an HTTP answer).
func plainToTLSHint(u *url.URL) string {
	return "the server speaks HTTPS on this port: use " + withScheme(u, "https") + " in the server setting"
}

// withScheme is u's scheme://host:port with another scheme, the port kept
// (it is the point: the scheme must match the port).
func withScheme(u *url.URL, scheme string) string {
	host := u.Host
	if u.Port() == "" {
		port := "80"
		if u.Scheme == "https" {
			port = "443"
		}
		host = net.JoinHostPort(u.Hostname(), port)
	}
	return scheme + "://" + host
}
