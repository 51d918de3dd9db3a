package cli

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"

	"github.com/ec2stack/ec2stack/internal/ami"
	"github.com/ec2stack/ec2stack/internal/bluegreen"
	"github.com/ec2stack/ec2stack/internal/env"
)

// image is one machine image as `ami` shows it.
type image struct {
	Name    string    `json:"name"`
	ID      string    `json:"id"`
	Created time.Time `json:"created"`
	AgeDays int       `json:"age_days"`
}

// amiReport is `ec2stack ami ENV`: the pinned image and the newest one of its family, in the environment's region.
type amiReport struct {
	Environment string `json:"environment"`
	Region      string `json:"region"`
	File        string `json:"file"`
	Key         string `json:"key"`             // the argument of main.tf that pins the image: ami_name, green_ami_name
	Color       string `json:"color,omitempty"` // blue/green: the idle group, whose image an update changes
	Pinned      image  `json:"pinned"`
	Newest      image  `json:"newest"`
	Update      bool   `json:"update_available"`
	Updated     bool   `json:"updated"` // --update: the pin was rewritten
}

// machineImage is `ec2stack ami ENV [--update]`: the image pinned in terraform/envs/ENV/main.tf (the one place it
// is written), the newest image of the same family from the same owner, their ages, and with --update the pin
// rewritten to the newest (only that value), so the change goes through review, plan and promotion. With
// blue/green the pin is the idle group's: a new image goes to the group without traffic, and `ec2stack switch`
// makes it live. Exit 0 either way; the JSON says whether an update is available.
func (c *command) machineImage(ctx context.Context) error {
	home, e, file, src, err := c.envMainTF()
	if err != nil {
		return err
	}
	bg, err := bluegreen.Read(src)
	if err != nil {
		return fmt.Errorf("ami %s: %s: %w", e.Name, file, err)
	}
	key := bluegreen.ImageKey(bg.Idle())
	pinned, err := ami.Pin(src, key)
	if err != nil {
		return fmt.Errorf("ami %s: %s: %w", e.Name, file, err)
	}
	family, err := ami.FamilyOf(pinned)
	if err != nil {
		return fmt.Errorf("ami %s: %s: %w", e.Name, file, err)
	}
	cfg, err := c.imageConfig(ctx, home, e)
	if err != nil {
		return fmt.Errorf("ami %s: %w", e.Name, err)
	}
	out, err := ec2.NewFromConfig(cfg).DescribeImages(ctx, &ec2.DescribeImagesInput{
		Owners:  []string{family.Owner},
		Filters: []ec2types.Filter{{Name: aws.String("name"), Values: []string{family.Pattern}}},
	})
	if err != nil {
		return fmt.Errorf("ami %s: listing %s images of %s in %s: %w", e.Name, family.Name, family.Owner, e.Region, err)
	}
	byName := map[string]image{}
	var names []string
	now := time.Now().UTC()
	for _, im := range out.Images {
		i := image{Name: aws.ToString(im.Name), ID: aws.ToString(im.ImageId)}
		if t, err := time.Parse(time.RFC3339, aws.ToString(im.CreationDate)); err == nil {
			i.Created, i.AgeDays = t.UTC(), int(now.Sub(t).Hours()/24)
		}
		byName[i.Name] = i
		names = append(names, i.Name)
	}
	r := amiReport{Environment: e.Name, Region: e.Region, File: file, Key: key, Color: bg.Idle()}
	var ok bool
	if r.Pinned, ok = byName[pinned]; !ok {
		return fmt.Errorf("ami %s: the pinned image %q (%s) is not offered by %s in %s any more: pin another with `ec2stack ami --update %s`",
			e.Name, pinned, file, family.Owner, e.Region, e.Name)
	}
	r.Newest = byName[family.Newest(names)]
	r.Update = family.Compare(r.Newest.Name, pinned) > 0
	if c.opts.update && r.Update {
		next, changed, err := ami.Rewrite(src, key, r.Newest.Name)
		if err != nil {
			return fmt.Errorf("ami %s: %w", e.Name, err)
		}
		if changed {
			if err := writeFileAtomic(file, next); err != nil {
				return fmt.Errorf("ami %s: %w", e.Name, err)
			}
			r.Updated = true
		}
	}
	if c.opts.json {
		return c.result(r)
	}
	group := ""
	if bg.Enabled {
		group = fmt.Sprintf(" for the idle %s group (%s is live)", bg.Idle(), bg.Live)
	}
	fmt.Fprintf(c.stdout, "%s (%s): pinned%s %s (%s, %d days old)\n", e.Name, e.Region, group, r.Pinned.Name, r.Pinned.ID, r.Pinned.AgeDays)
	fmt.Fprintf(c.stdout, "newest: %s (%s, %d days old)\n", r.Newest.Name, r.Newest.ID, r.Newest.AgeDays)
	switch {
	case r.Updated && bg.Enabled:
		fmt.Fprintf(c.stdout, "updated %s: %s = %q; plan it (`ec2stack plan %s`): the idle %s group's launch template changes while %s keeps the traffic; then `ec2stack switch %s`\n", file, key, r.Newest.Name, e.Name, bg.Idle(), bg.Live, e.Name)
	case r.Updated:
		fmt.Fprintf(c.stdout, "updated %s: %s = %q; plan it (`ec2stack plan %s`): the launch template's image changes and the instances roll through an instance refresh\n", file, key, r.Newest.Name, e.Name)
	case r.Update:
		fmt.Fprintf(c.stdout, "an update is available: `ec2stack ami --update %s` writes it into %s\n", e.Name, file)
	default:
		fmt.Fprintln(c.stdout, "the pin is the newest image")
	}
	return nil
}

// envMainTF reads the environment's main.tf, where its values (the image pins, the live color) are written once.
func (c *command) envMainTF() (home string, e env.Environment, file string, src []byte, err error) {
	if home, err = repoHome(); err != nil {
		return
	}
	if e, err = env.Lookup(c.config(home), c.opts.env); err != nil {
		return
	}
	file = filepath.Join(e.Root, "main.tf")
	if src, err = os.ReadFile(file); err != nil {
		err = fmt.Errorf("%s %s: %w", c.opts.verb, e.Name, err)
	}
	return
}

// imageConfig is an SDK configuration for reading images: the emulator's (started if needed) or the user's AWS
// credentials, in the environment's region. No terraform state is needed.
func (c *command) imageConfig(ctx context.Context, home string, e env.Environment) (aws.Config, error) {
	if c.opts.target == "emulator" {
		moto, err := c.ensureEmulator(ctx, home, e)
		if err != nil {
			return aws.Config{}, err
		}
		return moto.AWSConfig(ctx, e.Region)
	}
	return config.LoadDefaultConfig(ctx, config.WithRegion(e.Region))
}

// writeFileAtomic writes data to a temporary file beside path and renames it into place.
func writeFileAtomic(path string, data []byte) error {
	info, err := os.Stat(path)
	if err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), ".ec2stack-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	if err := os.Chmod(tmp.Name(), info.Mode().Perm()); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}
