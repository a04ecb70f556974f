package httpx

import "sort"

// AuthHeaders names the headers the client's credentials set on each
// request (none when it sends none), sorted: a --dry-run shows them as
// [redacted] without the secret ever leaving the client.
func (c *Client) AuthHeaders() []string {
	names := c.opts.Auth.headers()
	sort.Strings(names)
	return names
}
