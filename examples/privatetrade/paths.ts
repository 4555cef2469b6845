import path from "node:path";
import { fileURLToPath } from "node:url";

const PRIVATETRADE_DIR = path.dirname(fileURLToPath(import.meta.url));
const PRIVATETRADE_MIGRATIONS_DIR = path.join(PRIVATETRADE_DIR, "migrations");
export const STOCK_SELECTION_MIGRATION = path.join(PRIVATETRADE_MIGRATIONS_DIR, "001_add_specific_stock_selection.sql");
export const BUILD_IMAGES_SCRIPT = path.resolve(PRIVATETRADE_DIR, "../../scripts/build-images.sh");
