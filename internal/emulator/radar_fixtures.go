package emulator

// Pangeo Radar IDs beyond the basic ones in fixtures.go. Their tails say
// what they do, as elsewhere: ...0503 answers 503, ...0429 answers 429,
// ...d209 drops the connection, ...f0003 is slow, ...f0004 stalls.

// Report IDs with a fault of their own, for report_tasks/create. When
// the fault lets a request through they behave as RadarReportID.
const (
	// RadarReport503 answers 503 + Retry-After: 1 on 2 of every 3 creates
	// (the first one included) and creates nothing when it does.
	RadarReport503 = "5ed7905a-4735-4cf7-b1ab-000000000503"
	// RadarReport429 answers 429 + Retry-After: 2 on 2 of every 3 creates
	// (the first one included) and creates nothing when it does.
	RadarReport429 = "5ed7905a-4735-4cf7-b1ab-000000000429"
	// RadarReportSlow creates the task and answers 201 after RadarSlowDelay.
	RadarReportSlow = "5ed7905a-4735-4cf7-b1ab-0000000f0003"
	// RadarReportStall creates the task and then sends nothing until the
	// client gives up or the server closes.
	RadarReportStall = "5ed7905a-4735-4cf7-b1ab-0000000f0004"
)

// Task IDs for report_tasks/update. Every one of these exists from the
// start (report RadarReportID, instance RadarInstanceID, interval
// RadarTaskInterval); any other well-formed id gets 404 until a create
// returns it.
const (
	// RadarTaskID is a plain existing task: updates answer 200. It is the
	// task id of the vendor page's example.
	RadarTaskID = "497f6eca-6276-4993-bfeb-53cbbbba6f08"
	// RadarTask503 answers 503 + Retry-After: 1 on 2 of every 3 updates and
	// changes nothing when it does; the third update succeeds.
	RadarTask503 = "497f6eca-6276-4993-bfeb-000000000503"
	// RadarTask429 answers 429 + Retry-After: 2 on 2 of every 3 updates.
	RadarTask429 = "497f6eca-6276-4993-bfeb-000000000429"
	// RadarTaskDrop applies the update, then closes the connection unanswered.
	RadarTaskDrop = "497f6eca-6276-4993-bfeb-00000000d209"
	// RadarTaskSlow applies the update and answers 200 after RadarSlowDelay.
	RadarTaskSlow = "497f6eca-6276-4993-bfeb-0000000f0003"
	// RadarTaskStall applies the update, then sends nothing.
	RadarTaskStall = "497f6eca-6276-4993-bfeb-0000000f0004"
	// RadarTaskServerError always answers 500 and changes nothing.
	RadarTaskServerError = "497f6eca-6276-4993-bfeb-000000000500"
	// RadarTaskUnknown is well-formed and unknown: 404 "task not found".
	RadarTaskUnknown = "497f6eca-6276-4993-bfeb-00000000dead"

	// RadarTaskInterval is the interval the fixture tasks start with.
	RadarTaskInterval = "0 6 * * 1"
)

// radarFixture ties a Radar ID to its fault and a line for Describe.
type radarFixture struct {
	id    string
	fault radarFault
	note  string
}

var radarReportFixtures = []radarFixture{
	{RadarReportID, radarNone, "known report (201)"},
	{RadarReportServerError, radarServerError, "always 500, creates nothing"},
	{RadarReport503, radar503, "503 + Retry-After: 1 on 2 of every 3 requests, creates nothing then"},
	{RadarReport429, radar429, "429 + Retry-After: 2 on 2 of every 3 requests, creates nothing then"},
	{RadarReportDrop, radarDrop, "task created, then the connection is closed unanswered"},
	{RadarReportSlow, radarSlow, "task created, 201 after a delay"},
	{RadarReportStall, radarStall, "task created, then no answer at all"},
}

var radarTaskFixtures = []radarFixture{
	{RadarTaskID, radarNone, "existing task (200)"},
	{RadarTaskServerError, radarServerError, "always 500, changes nothing"},
	{RadarTask503, radar503, "503 + Retry-After: 1 on 2 of every 3 requests, changes nothing then"},
	{RadarTask429, radar429, "429 + Retry-After: 2 on 2 of every 3 requests, changes nothing then"},
	{RadarTaskDrop, radarDrop, "updated, then the connection is closed unanswered"},
	{RadarTaskSlow, radarSlow, "updated, 200 after a delay"},
	{RadarTaskStall, radarStall, "updated, then no answer at all"},
}
