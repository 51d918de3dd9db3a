// Command awslane is the real-AWS test lane: `make test-aws` runs it (README, "Real-AWS lane").
package main

import (
	"os"

	"github.com/ec2stack/ec2stack/internal/lane"
)

func main() {
	os.Exit(lane.Main(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}
