package pocclient

import (
	"context"
	"fmt"
	"slices"
	"time"
)

// SettledStatuses are the statuses after which WaitForCompletion stops: the environment is
// ready (completed), the job has ended (failed, cancelled, destroyed), or its destroy failed or
// left resources and waits for a retry (destroy_failed, destroy_incomplete: the caller may POST
// destroy again). They are the generated
// enum's constants, so a status renamed in the document fails the build here.
var SettledStatuses = []string{
	string(JobStatusCompleted),
	string(JobStatusFailed),
	string(JobStatusCancelled),
	string(JobStatusDestroyed),
	string(JobStatusDestroyFailed),
	string(JobStatusDestroyIncomplete),
}

// WaitOptions tune a wait. The zero value waits up to 30 minutes, polling every 2 s at first
// and backing off to every 15 s.
type WaitOptions struct {
	Timeout     time.Duration
	Interval    time.Duration
	MaxInterval time.Duration
	// OnProgress is called with every status seen.
	OnProgress func(*StatusAnswer)
}

// WaitForCompletion polls the job until it is ready or has ended and returns that status
// (check its Status: "failed" carries ErrorMessage). Errors: *WaitDeadlineError at the
// deadline, the context's error, or the errors of GetStatus.
func (p *Provisioning) WaitForCompletion(ctx context.Context, jobID JobID, opts WaitOptions) (*StatusAnswer, error) {
	return p.WaitForStatus(ctx, jobID, SettledStatuses, opts)
}

// WaitForStatus polls the job, backing off, until its status is one of statuses
// (for example "destroyed" after Destroy).
func (p *Provisioning) WaitForStatus(ctx context.Context, jobID JobID, statuses []string, opts WaitOptions) (*StatusAnswer, error) {
	timeout, interval, maxInterval := opts.Timeout, opts.Interval, opts.MaxInterval
	if timeout <= 0 {
		timeout = 30 * time.Minute
	}
	if interval <= 0 {
		interval = 2 * time.Second
	}
	if maxInterval <= 0 {
		maxInterval = 15 * time.Second
	}
	started := time.Now()
	deadline := started.Add(timeout)
	for {
		last, err := p.GetStatus(ctx, jobID)
		if err != nil {
			return nil, err
		}
		if opts.OnProgress != nil {
			opts.OnProgress(last)
		}
		if slices.Contains(statuses, string(last.Status)) {
			return last, nil
		}
		wait := min(interval, time.Until(deadline))
		if wait <= 0 {
			return last, &WaitDeadlineError{JobID: fmt.Sprint(jobID), Waited: time.Since(started), Last: last, wanting: statuses}
		}
		if err := sleep(ctx, wait); err != nil {
			return last, err
		}
		interval = min(interval*2, maxInterval)
	}
}
