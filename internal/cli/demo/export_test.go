package demo

// StepTitles are the demo's steps, for the tests of the whole command.
func StepTitles() (titles []string, want []int) {
	for _, s := range steps {
		titles = append(titles, s.title)
		want = append(want, s.want)
	}
	return titles, want
}
