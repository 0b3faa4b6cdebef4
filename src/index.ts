export const VERSION_PLACEHOLDER = 1;
import './imports/cilium.io';
