import { weightedSuite } from "@/tests/support/weighted-suite";

// Ports 51010-51012: the stack's nginx, blue and green.
weightedSuite({ driver: "nginx", basePort: 51010, name: "gl-wnginx" });
