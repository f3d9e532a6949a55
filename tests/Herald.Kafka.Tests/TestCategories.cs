// Every test here needs a Kafka-protocol broker and an Orleans cluster (in this process or in silo processes):
// `./test.sh --fast` leaves them out. Tests that start other processes are also marked "process".
[assembly: AssemblyTrait("Category", "cluster")]
