package emulator

// ScriptVars names the emulator's credentials and fixture IDs for the
// testscript scripts ($TASK_OK, $LOGS_TOKEN, ...). A test checks that
// every fixture the emulator serves has a name here, so a new fixture
// cannot be forgotten.
func ScriptVars() map[string]string {
	return map[string]string{
		"SANDBOX_USER":         SandboxUser,
		"SANDBOX_PASSWORD":     SandboxPassword,
		"TASK_OK":              TaskOK,
		"TASK_OK2":             TaskOK2,
		"TASK_NO_DEBUG_REPORT": TaskNoDebugReport,
		"TASK_DELETED":         TaskDeleted,
		"TASK_SERVER_ERROR":    TaskServerError,
		"TASK_503":             Task503,
		"TASK_TEXT_200":        TaskTextOK200,
		"TASK_DROP":            TaskDropOnce,
		"TASK_DROP_NORANGE":    TaskDropNoRange,
		"TASK_STALL":           TaskStall,
		"TASK_SLOW":            TaskSlow,
		"TASK_BIG":             TaskBig,
		"TASK_ZIPSLIP":         TaskZipSlip,
		"TASK_SYMLINK":         TaskSymlink,
		"TASK_EVIL_NAME":       TaskEvilName,
		"TASK_UNKNOWN":         TaskUnknown,
		"LOGS_TOKEN":           LogsToken,
		"LOGS_EXPIRED_TOKEN":   LogsExpiredToken,
		"SUB_JOB_OK":           SubJobOK,
		"SUB_JOB_OK2":          SubJobOK2,
		"SUB_JOB_OK3":          SubJobOK3,
		"SUB_JOB_200_ERROR":    SubJob200Error,
		"SUB_JOB_BUSY":         SubJobBusy,
		"SUB_JOB_NET_BUSY":     SubJobNetBusy,
		"SUB_JOB_503":          SubJob503,
		"SUB_JOB_DROP":         SubJobDropOnce,
		"SUB_JOB_DROP_NORANGE": SubJobDropNoRange,
		"SUB_JOB_SLOW":         SubJobSlow,
		"SUB_JOB_STALL":        SubJobStall,
		"SUB_JOB_BIG":          SubJobBig,
		"SUB_JOB_ZIPSLIP":      SubJobZipSlip,
		"SUB_JOB_SYMLINK":      SubJobSymlink,
		"SUB_JOB_EVIL_NAME":    SubJobEvilName,
		"SUB_JOB_UNKNOWN":      SubJobUnknown,
	}
}
