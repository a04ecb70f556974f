package emulator

import (
	"crypto/subtle"
	"encoding/json"
	"net/http"
	"strings"
	"time"

	"github.com/google/uuid"
)

// Huawei Cloud IAM:
//
//	POST /v3/auth/tokens[?nocatalog=true]   password (and TOTP) login
//
// 201 with the token in X-Subject-Token and {"token":{...}} in the body.
// Errors come in Keystone's shape {"error":{"code","message","title"}} and,
// for the locked user, in Huawei's {"error_code","error_msg"}, so a client
// meets both. The codes and texts for the failures are the emulator's
// choice: real IAM's are unconfirmed.

const iamTokensPath = "/v3/auth/tokens"

// Token lifetimes by user.
const (
	iamTokenLife      = 24 * time.Hour
	iamShortTokenLife = 6 * time.Minute
	iamExpiredBy      = time.Minute // expired-user's tokens expired this long before issue
)

type iamUser struct {
	name, id string
	life     time.Duration // negative: already expired when issued
	mfa      bool
	locked   bool
}

var iamUsers = []iamUser{
	{name: IAMUser, id: IAMUserID, life: iamTokenLife},
	{name: IAMMFAUser, id: IAMMFAUserID, life: iamTokenLife, mfa: true},
	{name: IAMShortUser, id: IAMShortID, life: iamShortTokenLife},
	{name: IAMExpiredUser, id: IAMExpiredID, life: -iamExpiredBy},
	{name: IAMLockedUser, id: "ad7f4c6a8b937be5dc2fb0ab9c8d7e65", life: iamTokenLife, locked: true},
}

// The emulator's IAM error texts (unconfirmed against real IAM).
const (
	iamWrongPassword = "The username or password is wrong."
	iamMFARequired   = "MFA verification code is required: login protection is on for this user (methods password and totp)."
	iamMFAWrongCode  = "The MFA verification code is incorrect."
	iamMFAWrongUser  = "The user id in the totp method does not belong to this user."
	iamLocked        = "The user is locked. Try again later."
	// iamCodeMFA matches iam.MFACodeRequired in internal/api/logs/iam.
	iamCodeMFA    = "IAM.0113"
	iamCodeLocked = "IAM.0102"
)

type iamRequest struct {
	Auth struct {
		Identity struct {
			Methods  []string `json:"methods"`
			Password *struct {
				User struct {
					Name     string `json:"name"`
					Password string `json:"password"`
					Domain   struct {
						Name string `json:"name"`
					} `json:"domain"`
				} `json:"user"`
			} `json:"password"`
			TOTP *struct {
				User struct {
					ID       string `json:"id"`
					Passcode string `json:"passcode"`
				} `json:"user"`
			} `json:"totp"`
		} `json:"identity"`
		Scope struct {
			Project *struct {
				Name string `json:"name"`
				ID   string `json:"id"`
			} `json:"project"`
			Domain *struct {
				Name string `json:"name"`
			} `json:"domain"`
		} `json:"scope"`
	} `json:"auth"`
}

type keystoneErr struct {
	Error struct {
		Code    any    `json:"code"`
		Message string `json:"message"`
		Title   string `json:"title"`
	} `json:"error"`
}

func iamErr(w http.ResponseWriter, status int, code any, msg string) {
	var b keystoneErr
	b.Error.Code, b.Error.Message, b.Error.Title = code, msg, http.StatusText(status)
	writeJSON(w, status, logsJSON, b)
}

// iamTime is how IAM writes times: UTC with microseconds.
func iamTime(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000000Z") }

func (e *Emulator) now() time.Time {
	if e.opts.Now != nil {
		return e.opts.Now()
	}
	return time.Now()
}

func (e *Emulator) serveIAM(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("X-Request-Id", strings.ReplaceAll(uuid.NewString(), "-", ""))
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		iamErr(w, http.StatusMethodNotAllowed, 405, "The method is not allowed for the requested URL.")
		return
	}
	var req iamRequest
	if err := json.NewDecoder(r.Body).Decode(&req); err != nil {
		iamErr(w, http.StatusBadRequest, 400, "The request body is not valid JSON.")
		return
	}
	id := req.Auth.Identity
	methods := strings.Join(id.Methods, ",")
	if id.Password == nil || (methods != "password" && methods != "password,totp") {
		iamErr(w, http.StatusBadRequest, 400, `The emulator knows only the methods ["password"] and ["password","totp"], with a password part.`)
		return
	}
	p := req.Auth.Scope.Project
	if p == nil || (p.Name == "" && p.ID == "") {
		iamErr(w, http.StatusBadRequest, 400, "A project scope (auth.scope.project.name) is required.")
		return
	}
	pu := id.Password.User
	var u *iamUser
	for i := range iamUsers {
		if iamUsers[i].name == pu.Name {
			u = &iamUsers[i]
		}
	}
	// IAM does not say which of account, user and password is wrong.
	switch {
	case u == nil || pu.Domain.Name != IAMDomain:
		iamErr(w, http.StatusUnauthorized, 401, iamWrongPassword)
		return
	case u.locked:
		writeJSON(w, http.StatusUnauthorized, logsJSON, logsError{Code: iamCodeLocked, Message: iamLocked})
		return
	case subtle.ConstantTimeCompare([]byte(pu.Password), []byte(IAMPassword)) != 1:
		iamErr(w, http.StatusUnauthorized, 401, iamWrongPassword)
		return
	}
	if u.mfa {
		switch t := id.TOTP; {
		case t == nil:
			iamErr(w, http.StatusUnauthorized, iamCodeMFA, iamMFARequired)
			return
		case t.User.ID != u.id:
			iamErr(w, http.StatusUnauthorized, 401, iamMFAWrongUser)
			return
		case t.User.Passcode != IAMMFACode:
			iamErr(w, http.StatusUnauthorized, 401, iamMFAWrongCode)
			return
		}
	}
	now := e.now()
	expires := now.Add(u.life)
	token := e.issueToken(expires)
	project := map[string]any{
		"name":   p.Name,
		"id":     strings.ReplaceAll(uuid.NewSHA1(uuid.NameSpaceOID, []byte("project/"+p.Name)).String(), "-", ""),
		"domain": map[string]string{"name": IAMDomain, "id": "e1d0c9b8a7f64e5d4c3b2a1f0e9d8c7b"},
	}
	body := map[string]any{
		"methods":    id.Methods,
		"expires_at": iamTime(expires),
		"issued_at":  iamTime(now),
		"user": map[string]any{
			"name": u.name, "id": u.id, "password_expires_at": "",
			"domain": map[string]string{"name": IAMDomain, "id": "e1d0c9b8a7f64e5d4c3b2a1f0e9d8c7b"},
		},
		"project": project,
		"roles":   []map[string]string{{"name": "op_fine_grained", "id": "0"}},
	}
	if r.URL.Query().Get("nocatalog") != "true" {
		body["catalog"] = []any{}
	}
	w.Header().Set("X-Subject-Token", token)
	writeJSON(w, http.StatusCreated, logsJSON, map[string]any{"token": body})
}

// issueToken makes a new token valid until expires. Older tokens stay
// valid, as IAM's do.
func (e *Emulator) issueToken(expires time.Time) string {
	token := "MIISemuIAM" + strings.ReplaceAll(uuid.NewString(), "-", "") + strings.ReplaceAll(uuid.NewString(), "-", "")
	e.mu.Lock()
	if e.issued == nil {
		e.issued = map[string]time.Time{}
	}
	e.issued[token] = expires
	e.mu.Unlock()
	return token
}

type tokenState int

const (
	tokenNotIssued tokenState = iota
	tokenValid
	tokenExpired
)

// issuedToken says whether the IAM endpoint issued token and whether it
// has expired by the emulator's clock.
func (e *Emulator) issuedToken(token string) tokenState {
	e.mu.Lock()
	exp, ok := e.issued[token]
	e.mu.Unlock()
	switch {
	case !ok:
		return tokenNotIssued
	case e.now().Before(exp):
		return tokenValid
	default:
		return tokenExpired
	}
}

// describeIAM prints the IAM users for Describe.
func (e *Emulator) describeIAM(p func(string, ...any)) {
	p("Huawei IAM                   POST %s (password; MFA: methods password+totp)", iamTokensPath)
	p("  account (domain) %s   password %s (every user but the locked one)", IAMDomain, IAMPassword)
	p("  user %-13s id %s  token for 24 h", IAMUser, IAMUserID)
	p("  user %-13s id %s  MFA: totp.user.id = this id, passcode %s; without totp: 401 %s", IAMMFAUser, IAMMFAUserID, IAMMFACode, iamCodeMFA)
	p("  user %-13s id %s  token for 6 min (cache reuse ends at 1 min)", IAMShortUser, IAMShortID)
	p("  user %-13s id %s  token already expired: CodeArts answers 401 CC.00000003", IAMExpiredUser, IAMExpiredID)
	p("  user %-13s always 401 %s locked", IAMLockedUser, iamCodeLocked)
	p("  wrong account, user or password: 401 %q", iamWrongPassword)
	p("")
}
