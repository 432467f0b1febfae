import { serveProvider } from '../tfplugin/framework/serve';
import { dodbProvider } from './provider';

serveProvider(dodbProvider, process.env);
