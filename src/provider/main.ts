import { serve } from '../tfplugin/serve';
import { dodbProvider } from './provider';

serve(dodbProvider);
