package verify

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"unicode"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/acm"
	"github.com/aws/aws-sdk-go-v2/service/autoscaling"
	"github.com/aws/aws-sdk-go-v2/service/backup"
	"github.com/aws/aws-sdk-go-v2/service/cloudfront"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatch"
	cwschemas "github.com/aws/aws-sdk-go-v2/service/cloudwatch/schemas"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
	elbv2 "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/aws/aws-sdk-go-v2/service/rds"
	"github.com/aws/aws-sdk-go-v2/service/route53"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"
	"github.com/aws/aws-sdk-go-v2/service/sns"
	"github.com/aws/aws-sdk-go-v2/service/ssm"
	"github.com/aws/aws-sdk-go-v2/service/wafv2"
	"github.com/aws/smithy-go"
	"github.com/aws/smithy-go/transport/http/protocol/awsquery"
)

// clients are the API clients Collect and Leftovers read through, built once from an aws.Config.
type clients struct {
	region    string
	ec2       *ec2.Client
	asg       *autoscaling.Client
	elb       *elbv2.Client
	logs      *cloudwatchlogs.Client
	iam       *iam.Client
	kms       *kms.Client
	rds       *rds.Client
	backup    *backup.Client
	sns       *sns.Client
	cw        *cloudwatch.Client
	s3        *s3.Client
	cf        *cloudfront.Client
	waf       *wafv2.Client // REGIONAL scope, in cfg's region
	wafGlobal *wafv2.Client // CLOUDFRONT scope, always us-east-1
	r53       *route53.Client
	acm       *acm.Client
	ssm       *ssm.Client
	secrets   *secretsmanager.Client
}

func newClients(cfg aws.Config) *clients {
	return &clients{
		region:    cfg.Region,
		acm:       acm.NewFromConfig(cfg),
		ec2:       ec2.NewFromConfig(cfg),
		asg:       autoscaling.NewFromConfig(cfg),
		elb:       elbv2.NewFromConfig(cfg),
		logs:      cloudwatchlogs.NewFromConfig(cfg),
		iam:       iam.NewFromConfig(cfg),
		kms:       kms.NewFromConfig(cfg),
		rds:       rds.NewFromConfig(cfg),
		backup:    backup.NewFromConfig(cfg),
		sns:       sns.NewFromConfig(cfg),
		cw:        newCloudWatch(cfg),
		s3:        newS3(cfg),
		cf:        cloudfront.NewFromConfig(cfg),
		waf:       wafv2.NewFromConfig(cfg),
		wafGlobal: wafv2.NewFromConfig(usEast1(cfg)),
		r53:       route53.NewFromConfig(cfg),
		ssm:       ssm.NewFromConfig(cfg),
		secrets:   secretsmanager.NewFromConfig(cfg),
	}
}

// newS3 returns an S3 client; path-style addressing when cfg names an endpoint (the emulator), so bucket
// names need no DNS.
func newS3(cfg aws.Config) *s3.Client {
	return s3.NewFromConfig(cfg, func(o *s3.Options) { o.UsePathStyle = cfg.BaseEndpoint != nil })
}

// newCloudWatch returns a CloudWatch client. The SDK speaks Smithy RPC v2 CBOR to CloudWatch, which moto 5.2.1
// does not understand; when cfg names an endpoint (the emulator) the client speaks AWS Query instead, which
// CloudWatch also serves.
func newCloudWatch(cfg aws.Config) *cloudwatch.Client {
	return cloudwatch.NewFromConfig(cfg, func(o *cloudwatch.Options) {
		if cfg.BaseEndpoint != nil {
			o.Protocol = awsquery.New(cwschemas.GraniteServiceVersion20100801)
		}
	})
}

// CloudWatch is the CloudWatch client other packages read alarms with: on the emulator it speaks AWS Query
// (newCloudWatch).
func CloudWatch(cfg aws.Config) *cloudwatch.Client { return newCloudWatch(cfg) }

// usEast1 is cfg in us-east-1, where CLOUDFRONT-scope WAF resources live.
func usEast1(cfg aws.Config) aws.Config {
	cfg = cfg.Copy()
	cfg.Region = "us-east-1"
	return cfg
}

// apiError reports whether err is an API error with one of the codes (the ways an API says "not found").
func apiError(err error, codes ...string) bool {
	var ae smithy.APIError
	if !errors.As(err, &ae) {
		return false
	}
	for _, c := range codes {
		if ae.ErrorCode() == c {
			return true
		}
	}
	return false
}

func filter(name string, values ...string) ec2types.Filter {
	return ec2types.Filter{Name: aws.String(name), Values: values}
}

// pager is what every SDK paginator has: pages of Out, each read with the client options Opt.
type pager[Out, Opt any] interface {
	HasMorePages() bool
	NextPage(context.Context, ...func(*Opt)) (*Out, error)
}

// each calls f on every item of every page p reads (items picks a page's items), up to the first error.
func each[Out, Opt, T any](ctx context.Context, p pager[Out, Opt], items func(*Out) []T, f func(T) error) error {
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return err
		}
		for _, it := range items(page) {
			if err := f(it); err != nil {
				return err
			}
		}
	}
	return nil
}

// ids returns the id of every item of every page p reads.
func ids[Out, Opt, T any](ctx context.Context, p pager[Out, Opt], items func(*Out) []T, id func(T) string) ([]string, error) {
	var out []string
	err := each(ctx, p, items, func(it T) error {
		out = append(out, id(it))
		return nil
	})
	return out, err
}

// inBatches calls f on consecutive batches of at most n of ids, for APIs that take a bounded list.
func inBatches(ids []string, n int, f func([]string) error) error {
	for len(ids) > 0 {
		k := min(len(ids), n)
		if err := f(ids[:k]); err != nil {
			return err
		}
		ids = ids[k:]
	}
	return nil
}

// tagMap turns tags of any SDK's tag type into a map; kv reads a tag's key and value.
func tagMap[T any](tags []T, kv func(T) (key, value *string)) map[string]string {
	m := make(map[string]string, len(tags))
	for _, t := range tags {
		k, v := kv(t)
		m[aws.ToString(k)] = aws.ToString(v)
	}
	return m
}

// pagedTags reads a paginated tag listing into a map, as tagMap does.
func pagedTags[Out, Opt, T any](ctx context.Context, p pager[Out, Opt], items func(*Out) []T,
	kv func(T) (key, value *string)) (map[string]string, error) {
	var tags []T
	err := each(ctx, p, items, func(t T) error {
		tags = append(tags, t)
		return nil
	})
	return tagMap(tags, kv), err
}

func ec2Tags(tags []ec2types.Tag) map[string]string {
	return tagMap(tags, func(t ec2types.Tag) (*string, *string) { return t.Key, t.Value })
}

// ---- leftovers plumbing

// EnvironmentTag is the tag key every resource of a stack carries with the environment name as its value.
const EnvironmentTag = "Environment"

// NamePrefix is the prefix of the names the stack gives its resources in environment env.
func NamePrefix(env string) string { return "ec2stack-" + env }

// leftovers gathers what Leftovers finds of one environment. The first error stops the lookups that follow.
type leftovers struct {
	*clients
	env   string
	found []string
	err   error
}

func (l *leftovers) add(kind, id string) { l.found = append(l.found, kind+" "+id) }

// run runs the lookup of kind unless an earlier lookup failed; its error is kept, naming the kind.
func (l *leftovers) run(kind string, lookup func() error) {
	if l.err != nil {
		return
	}
	if err := lookup(); err != nil {
		l.err = fmt.Errorf("%s: %w", kind, err)
	}
}

// find adds "kind id" for every item p lists that match says is the environment's, with the id match returns.
func find[Out, Opt, T any](ctx context.Context, l *leftovers, kind string, p pager[Out, Opt], items func(*Out) []T,
	match func(T) (id string, ok bool, err error)) {
	l.run(kind, func() error {
		return each(ctx, p, items, func(it T) error {
			id, ok, err := match(it)
			if ok {
				l.add(kind, id)
			}
			return err
		})
	})
}

// ours reports whether tags carry Environment=<the environment>.
func (l *leftovers) ours(tags map[string]string) bool { return tags[EnvironmentTag] == l.env }

// ec2Filters select the EC2 resources tagged with the environment.
func (l *leftovers) ec2Filters() []ec2types.Filter {
	return []ec2types.Filter{filter("tag:"+EnvironmentTag, l.env)}
}

// named reports whether name is the environment's name prefix or starts with it followed by a separator, so
// "ec2stack-dev-alarm" is dev's and "ec2stack-dev2-alarm" is not.
func (l *leftovers) named(name string) bool {
	rest, ok := strings.CutPrefix(name, NamePrefix(l.env))
	if !ok {
		return false
	}
	if rest == "" {
		return true
	}
	r := []rune(rest)[0]
	return !unicode.IsLetter(r) && !unicode.IsDigit(r)
}
