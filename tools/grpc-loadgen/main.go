// grpc-loadgen drives one unary gRPC method with a pre-encoded request, the way make bench needs:
// the request's bytes are read once and sent as they are through a codec that neither encodes nor
// decodes (the response is counted, not parsed), over one connection as Crossplane uses, with N
// calls in flight. It replaces ghz, which re-encoded the request from a dynamic message on every call
// and became the bottleneck (scripts/bench/grpc.mjs proves this one is not: its harness ceiling).
//
// It prints one JSON object: requests, errors (and their kinds), seconds, rps, and latency
// percentiles of the calls that succeeded.
package main

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"flag"
	"fmt"
	"math"
	"os"
	"sort"
	"sync"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/status"
)

// rawCodec passes bytes through: the request is already encoded, the response is only counted.
type rawCodec struct{}

func (rawCodec) Marshal(v any) ([]byte, error) {
	b, ok := v.(*[]byte)
	if !ok {
		return nil, fmt.Errorf("rawCodec: cannot marshal %T", v)
	}
	return *b, nil
}

func (rawCodec) Unmarshal(data []byte, v any) error {
	b, ok := v.(*[]byte)
	if !ok {
		return fmt.Errorf("rawCodec: cannot unmarshal into %T", v)
	}
	*b = data
	return nil
}

// Name is "proto" so the content type is application/grpc+proto, as for any protobuf client.
func (rawCodec) Name() string { return "proto" }

type report struct {
	Requests   int            `json:"requests"`
	Errors     int            `json:"errors"`
	ErrorKinds map[string]int `json:"errorKinds"`
	Seconds    float64        `json:"seconds"`
	RPS        float64        `json:"rps"`
	P50Ms      float64        `json:"p50Ms"`
	P99Ms      float64        `json:"p99Ms"`
	P999Ms     float64        `json:"p999Ms"`
	MaxMs      float64        `json:"maxMs"`
}

type options struct {
	address, method, requestFile, caFile, certFile, keyFile, serverName string
	concurrency, total                                                  int
	duration                                                            time.Duration
	streamWindow, connWindow                                            int
}

func parseFlags() options {
	var o options
	flag.StringVar(&o.address, "address", "", "host:port to call")
	flag.StringVar(&o.method, "method", "/apiextensions.fn.proto.v1.FunctionRunnerService/RunFunction", "full method name")
	flag.StringVar(&o.requestFile, "request", "", "file holding the encoded request message")
	flag.StringVar(&o.caFile, "cacert", "", "CA certificate (mTLS); empty: plaintext")
	flag.StringVar(&o.certFile, "cert", "", "client certificate (mTLS)")
	flag.StringVar(&o.keyFile, "key", "", "client key (mTLS)")
	flag.StringVar(&o.serverName, "server-name", "localhost", "name the server's certificate must carry")
	flag.IntVar(&o.concurrency, "concurrency", 1, "calls in flight")
	flag.IntVar(&o.total, "total", 0, "calls to make (instead of -duration)")
	flag.DurationVar(&o.duration, "duration", 5*time.Second, "how long to start calls; calls in flight at the end are waited for")
	flag.IntVar(&o.streamWindow, "stream-window", 0, "HTTP/2 flow-control window granted per call, bytes (0: grpc-go's, as Crossplane's client)")
	flag.IntVar(&o.connWindow, "conn-window", 0, "HTTP/2 flow-control window granted per connection, bytes (0: grpc-go's)")
	flag.Parse()
	return o
}

func transport(o options) (grpc.DialOption, error) {
	if o.caFile == "" {
		return grpc.WithTransportCredentials(insecure.NewCredentials()), nil
	}
	pem, err := os.ReadFile(o.caFile)
	if err != nil {
		return nil, err
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(pem) {
		return nil, fmt.Errorf("no certificate in %s", o.caFile)
	}
	pair, err := tls.LoadX509KeyPair(o.certFile, o.keyFile)
	if err != nil {
		return nil, err
	}
	return grpc.WithTransportCredentials(credentials.NewTLS(&tls.Config{
		RootCAs: pool, Certificates: []tls.Certificate{pair}, ServerName: o.serverName, MinVersion: tls.VersionTLS12,
	})), nil
}

// dialOptions: the raw codec, no message size limit, and the flow-control windows asked for. grpc-go
// starts its windows at 64 KiB and grows them by estimating the bandwidth-delay product; on loopback,
// with the client sharing two cores with the server, they stay small and the server's responses wait
// for the client's window updates. Fixed windows (which turn the estimate off) keep that wait out of
// the server's latency.
func dialOptions(o options, creds grpc.DialOption) []grpc.DialOption {
	const maxMessage = 64 << 20
	opts := []grpc.DialOption{creds, grpc.WithDefaultCallOptions(
		grpc.ForceCodec(rawCodec{}), grpc.MaxCallRecvMsgSize(maxMessage), grpc.MaxCallSendMsgSize(maxMessage))}
	if o.streamWindow > 0 {
		opts = append(opts, grpc.WithInitialWindowSize(int32(min(o.streamWindow, math.MaxInt32))))
	}
	if o.connWindow > 0 {
		opts = append(opts, grpc.WithInitialConnWindowSize(int32(min(o.connWindow, math.MaxInt32))))
	}
	return opts
}

// run makes the calls and returns each successful call's latency and the errors by kind.
func run(conn *grpc.ClientConn, o options, request []byte) ([]time.Duration, map[string]int, time.Duration) {
	var mu sync.Mutex
	var latencies []time.Duration
	errs := map[string]int{}
	next := make(chan struct{})
	deadline := time.Now().Add(o.duration)
	go func() {
		for i := 0; o.total == 0 || i < o.total; i++ {
			if o.total == 0 && time.Now().After(deadline) {
				break
			}
			next <- struct{}{}
		}
		close(next)
	}()
	started := time.Now()
	var wg sync.WaitGroup
	for w := 0; w < o.concurrency; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			mine := make([]time.Duration, 0, 1024)
			for range next {
				in, out := request, []byte(nil)
				t := time.Now()
				err := conn.Invoke(context.Background(), o.method, &in, &out)
				if err != nil {
					mu.Lock()
					errs[status.Code(err).String()]++
					mu.Unlock()
					continue
				}
				mine = append(mine, time.Since(t))
			}
			mu.Lock()
			latencies = append(latencies, mine...)
			mu.Unlock()
		}()
	}
	wg.Wait()
	return latencies, errs, time.Since(started)
}

func percentileMs(sorted []time.Duration, p float64) float64 {
	if len(sorted) == 0 {
		return 0
	}
	i := int(math.Ceil(float64(len(sorted))*p/100)) - 1
	if i < 0 {
		i = 0
	}
	return math.Round(float64(sorted[min(i, len(sorted)-1)].Microseconds())/10) / 100
}

func main() {
	o := parseFlags()
	request, err := os.ReadFile(o.requestFile)
	if err == nil && o.address == "" {
		err = fmt.Errorf("-address is required")
	}
	var creds grpc.DialOption
	if err == nil {
		creds, err = transport(o)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "grpc-loadgen:", err)
		os.Exit(2)
	}
	conn, err := grpc.NewClient(o.address, dialOptions(o, creds)...)
	if err != nil {
		fmt.Fprintln(os.Stderr, "grpc-loadgen:", err)
		os.Exit(2)
	}
	defer conn.Close()

	latencies, errs, took := run(conn, o, request)
	sort.Slice(latencies, func(i, j int) bool { return latencies[i] < latencies[j] })
	errors := 0
	for _, n := range errs {
		errors += n
	}
	out := report{
		Requests: len(latencies) + errors, Errors: errors, ErrorKinds: errs,
		Seconds: math.Round(took.Seconds()*1000) / 1000,
		RPS:     math.Round(float64(len(latencies)) / took.Seconds()),
		P50Ms:   percentileMs(latencies, 50), P99Ms: percentileMs(latencies, 99),
		P999Ms: percentileMs(latencies, 99.9), MaxMs: percentileMs(latencies, 100),
	}
	if err := json.NewEncoder(os.Stdout).Encode(out); err != nil {
		os.Exit(1)
	}
}
