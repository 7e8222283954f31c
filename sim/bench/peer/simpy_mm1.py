"""M/M/1 at rho = 0.8 in SimPy 2.3.1 (Debian python3-simpy), the peer `qlab bench` compares with.

Usage: python3 simpy_mm1.py CUSTOMERS ROUNDS -> one JSON line per round:
{"customers": n, "seconds": wall seconds, "cpuSeconds": CPU seconds of that round,
"processCpuSeconds": CPU seconds of the whole process so far, interpreter start-up included}.
Round 1 is the first (cold) run in this process; later rounds are warm. A Poisson source, one server (Resource capacity 1, FIFO),
exponential service: every customer is a Process, as SimPy's own bank examples model it.
"""
import json
import random
import sys
import time

from SimPy.Simulation import Process, Resource, Simulation, hold, release, request

ARRIVAL_RATE = 0.8
SERVICE_RATE = 1.0


class Customer(Process):
    def visit(self, server, rng, done):
        yield request, self, server
        yield hold, self, rng.expovariate(SERVICE_RATE)
        yield release, self, server
        done[0] += 1


class Source(Process):
    def generate(self, customers, server, rng, done):
        for _ in range(customers):
            customer = Customer(sim=self.sim)
            self.sim.activate(customer, customer.visit(server, rng, done))
            yield hold, self, rng.expovariate(ARRIVAL_RATE)


def run(customers, seed):
    sim = Simulation()
    sim.initialize()
    rng = random.Random(seed)
    server = Resource(capacity=1, sim=sim)
    done = [0]
    source = Source(sim=sim)
    sim.activate(source, source.generate(customers, server, rng, done))
    sim.simulate(until=1e18)
    if done[0] != customers:
        raise SystemExit(f"simpy_mm1: served {done[0]} of {customers}")


def main():
    customers = int(sys.argv[1])
    rounds = int(sys.argv[2])
    for round_number in range(rounds):
        started = time.perf_counter()
        cpu_started = time.process_time()
        run(customers, round_number + 1)
        print(json.dumps({
            "customers": customers,
            "seconds": time.perf_counter() - started,
            "cpuSeconds": time.process_time() - cpu_started,
            "processCpuSeconds": time.process_time(),
        }), flush=True)


if __name__ == "__main__":
    main()
